-- chc database schema (applied idempotently by pipeline.store.init_db).
-- Tables and views are documented for researchers in docs/schema.md.
-- Bump SCHEMA_VERSION in pipeline/store.py (and add a migration there) when this changes.
-- No PRIMARY KEY constraints: uniqueness is kept by pipeline/store.py, which deletes a
-- document's rows and re-inserts them in one transaction.

CREATE TABLE IF NOT EXISTS schema_meta (
    key VARCHAR NOT NULL,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS provisions (
    code_version VARCHAR NOT NULL,
    provision_id VARCHAR NOT NULL,
    section_number INTEGER,
    section_title VARCHAR,
    obligation VARCHAR,
    requirement_text VARCHAR,
    code_order INTEGER
);

CREATE TABLE IF NOT EXISTS crosswalk (
    from_version VARCHAR NOT NULL,
    from_id VARCHAR,
    to_version VARCHAR NOT NULL,
    to_id VARCHAR,
    relation VARCHAR,
    note VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    document_id VARCHAR NOT NULL,
    source_path VARCHAR,
    file_name VARCHAR,
    sha256 VARCHAR,
    format VARCHAR,
    pages INTEGER,
    size_bytes BIGINT,
    landlord VARCHAR,
    landlord_raw VARCHAR,
    landlord_type VARCHAR,
    landlord_inferred BOOLEAN,
    landlord_method VARCHAR,
    assessment_year INTEGER,
    year_raw VARCHAR,
    year_inferred BOOLEAN,
    year_note VARCHAR,
    code_version VARCHAR,
    version_score DOUBLE,
    version_method VARCHAR,
    version_note VARCHAR,
    status VARCHAR NOT NULL,
    error VARCHAR,
    error_code VARCHAR,
    notes VARCHAR,
    url VARCHAR,
    seconds DOUBLE,
    peak_memory_mb DOUBLE,
    rows_found INTEGER,
    rows_aligned INTEGER,
    rows_needing_review INTEGER,
    tables_set_aside INTEGER,
    ingested_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS document_paths (
    document_id VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    file_name VARCHAR,
    seen_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS assessments (
    document_id VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,
    code_version VARCHAR,
    provision_id VARCHAR,
    printed_id VARCHAR,
    section VARCHAR,
    section_number INTEGER,
    obligation VARCHAR,
    compliance VARCHAR NOT NULL,
    compliance_raw VARCHAR,
    answer_inferred BOOLEAN,
    suggested_compliance VARCHAR,
    requirement_text VARCHAR,
    evidence VARCHAR,
    commentary VARCHAR,
    actions VARCHAR,
    stated_actions VARCHAR,
    page INTEGER,
    table_index INTEGER,
    row_index INTEGER,
    stitched BOOLEAN,
    raw_cells VARCHAR,
    match_score DOUBLE,
    match_method VARCHAR,
    needs_review BOOLEAN,
    review_reason VARCHAR
);

CREATE TABLE IF NOT EXISTS member_answers (
    document_id VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,
    provision_id VARCHAR,
    member VARCHAR,
    compliance VARCHAR,
    compliance_raw VARCHAR
);

-- One row per landlord x provision x document (aligned rows of stored documents;
-- if a document has two rows for one provision, the better-matched one).
CREATE OR REPLACE VIEW v_answers AS
SELECT
    d.landlord,
    d.landlord_type,
    d.assessment_year,
    a.code_version,
    a.provision_id,
    p.section_number,
    p.section_title,
    coalesce(a.obligation, p.obligation) AS obligation,
    p.requirement_text AS provision_text,
    a.compliance,
    a.compliance_raw,
    a.answer_inferred,
    a.suggested_compliance,
    a.requirement_text,
    a.evidence,
    a.commentary,
    a.actions,
    a.stated_actions,
    a.needs_review,
    a.review_reason,
    a.match_score,
    a.match_method,
    a.document_id,
    d.file_name,
    d.source_path,
    d.url,
    a.page,
    a.table_index,
    a.row_index,
    a.row_number
FROM assessments AS a
JOIN documents AS d ON d.document_id = a.document_id
LEFT JOIN provisions AS p
    ON p.code_version = a.code_version AND p.provision_id = a.provision_id
WHERE a.provision_id IS NOT NULL AND d.status = 'ok'
QUALIFY row_number() OVER (
    PARTITION BY a.document_id, a.code_version, a.provision_id
    ORDER BY a.match_score DESC NULLS LAST, a.row_number
) = 1;

-- Each landlord's latest stored document per Code version (by assessment year, then
-- ingestion time).
CREATE OR REPLACE VIEW v_latest_documents AS
SELECT *
FROM documents
WHERE status = 'ok' AND landlord IS NOT NULL AND code_version IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY landlord, code_version
    ORDER BY assessment_year DESC NULLS LAST, ingested_at DESC, document_id
) = 1;

-- The answers of each landlord's latest assessment per Code version.
CREATE OR REPLACE VIEW v_latest AS
SELECT v.*
FROM v_answers AS v
JOIN v_latest_documents AS l ON l.document_id = v.document_id;

-- Crosswalk links in both directions, plus 2020 <-> 2024 chained through 2022.
CREATE OR REPLACE VIEW v_crosswalk_links AS
WITH direct AS (
    SELECT from_version, from_id, to_version, to_id, relation
    FROM crosswalk
    WHERE from_id <> '' AND to_id <> '' AND relation <> 'none'
),
both_ways AS (
    SELECT from_version, from_id, to_version, to_id, relation FROM direct
    UNION
    SELECT to_version, to_id, from_version, from_id, relation FROM direct
),
chained AS (
    SELECT
        a.from_version,
        a.from_id,
        b.to_version,
        b.to_id,
        CASE WHEN a.relation = 'same' AND b.relation = 'same' THEN 'same' ELSE 'similar' END
            AS relation
    FROM both_ways AS a
    JOIN both_ways AS b ON a.to_version = b.from_version AND a.to_id = b.from_id
    WHERE a.to_version = '2022' AND a.from_version <> b.to_version
)
SELECT from_version, from_id, to_version, to_id, min(relation) AS relation
FROM (SELECT * FROM both_ways UNION ALL SELECT * FROM chained)
GROUP BY ALL;

-- A landlord's answers to the same requirement across Code versions: one row per
-- pair of linked provisions answered by the same landlord in two versions.
CREATE OR REPLACE VIEW v_crosswalk_answers AS
SELECT
    f.landlord,
    f.landlord_type,
    k.from_version,
    k.from_id,
    f.assessment_year AS from_year,
    f.compliance AS from_compliance,
    f.document_id AS from_document_id,
    k.to_version,
    k.to_id,
    t.assessment_year AS to_year,
    t.compliance AS to_compliance,
    t.document_id AS to_document_id,
    k.relation
FROM v_answers AS f
JOIN v_crosswalk_links AS k
    ON k.from_version = f.code_version AND k.from_id = f.provision_id
JOIN v_answers AS t
    ON t.landlord = f.landlord AND t.code_version = k.to_version AND t.provision_id = k.to_id
WHERE f.landlord IS NOT NULL;

-- Rows a human should look at, with their provenance.
CREATE OR REPLACE VIEW v_review AS
SELECT
    a.document_id,
    d.file_name,
    d.source_path,
    d.landlord,
    a.row_number,
    a.page,
    a.table_index,
    a.row_index,
    a.code_version,
    a.provision_id,
    a.printed_id,
    a.compliance,
    a.compliance_raw,
    a.suggested_compliance,
    a.match_score,
    a.match_method,
    coalesce(
        nullif(a.review_reason, ''),
        CASE WHEN a.provision_id IS NULL THEN 'unaligned' END
    ) AS review_reason,
    a.raw_cells
FROM assessments AS a
JOIN documents AS d ON d.document_id = a.document_id
WHERE a.needs_review OR a.provision_id IS NULL;
