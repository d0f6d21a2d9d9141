-- chc database views (recreated by pipeline.store.init_db after the tables and their
-- migrations). Documented for researchers in docs/schema.md.
--
-- Counting rule of every view below: one landlord counts once per Code version and
-- assessment year. The documents of one landlord, version and year (several pages or
-- files of one form, or the same form as PDF, DOCX, HTML and text) are ONE assessment:
-- the union of their provisions, identical rows once. Only documents with status 'ok'
-- and a Code version belong to an assessment.

-- Which assessment each document belongs to, and its rank in it. A document with no year
-- joins its landlord's only year for that version (when there is exactly one); a document
-- with no landlord is an assessment of its own. The rank does not depend on ingest order:
-- most provisions aligned, then fewest rows flagged for review, then document_id
-- (derived from the content hash).
CREATE OR REPLACE VIEW v_assessment_documents AS
WITH counted AS (
    SELECT
        document_id,
        count(DISTINCT provision_id) AS provisions_aligned,
        count(*) FILTER (WHERE needs_review) AS rows_flagged
    FROM assessments
    GROUP BY document_id
),
docs AS (
    SELECT
        d.document_id,
        d.landlord,
        d.landlord_type,
        d.code_version,
        d.assessment_year,
        d.file_name,
        d.source_path,
        d.format,
        d.url,
        coalesce(c.provisions_aligned, 0) AS provisions_aligned,
        coalesce(c.rows_flagged, 0) AS rows_flagged
    FROM documents AS d
    LEFT JOIN counted AS c ON c.document_id = d.document_id
    WHERE d.status = 'ok' AND d.code_version IS NOT NULL
),
only_year AS (
    SELECT landlord, code_version, min(assessment_year) AS year
    FROM docs
    WHERE landlord IS NOT NULL AND assessment_year IS NOT NULL
    GROUP BY landlord, code_version
    HAVING count(DISTINCT assessment_year) = 1
),
placed AS (
    SELECT
        docs.*,
        coalesce(docs.assessment_year, y.year) AS year,
        CASE
            WHEN docs.landlord IS NULL THEN 'document:' || docs.document_id
            ELSE docs.landlord || '|' || docs.code_version || '|'
                || coalesce(CAST(coalesce(docs.assessment_year, y.year) AS VARCHAR), '?')
        END AS assessment_id
    FROM docs
    LEFT JOIN only_year AS y
        ON docs.assessment_year IS NULL
        AND y.landlord = docs.landlord
        AND y.code_version = docs.code_version
)
SELECT
    assessment_id,
    landlord,
    landlord_type,
    code_version,
    year AS assessment_year,
    assessment_year IS NULL AND year IS NOT NULL AS year_from_other_documents,
    document_id,
    file_name,
    source_path,
    format,
    url,
    provisions_aligned,
    rows_flagged,
    row_number() OVER (
        PARTITION BY assessment_id
        ORDER BY provisions_aligned DESC, rows_flagged, document_id
    ) AS document_rank
FROM placed;

-- One row per assessment x provision: the union of the provisions found in the
-- assessment's documents. Within a document, a provision read twice counts once (the
-- better-matched row). Across documents, the row of the best-ranked document holding
-- the provision is used; documents_with_row says how many held it, and when they
-- disagree on the answer the row is flagged (review reason documents_disagree).
CREATE OR REPLACE VIEW v_answers AS
WITH per_document AS (
    SELECT
        a.*,
        m.assessment_id,
        m.document_rank,
        m.landlord,
        m.landlord_type,
        m.assessment_year,
        m.file_name,
        m.source_path,
        m.url
    FROM assessments AS a
    JOIN v_assessment_documents AS m
        ON m.document_id = a.document_id AND m.code_version = a.code_version
    WHERE a.provision_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY a.document_id, a.provision_id
        ORDER BY a.match_score DESC NULLS LAST, a.row_number
    ) = 1
),
agreement AS (
    SELECT
        assessment_id,
        provision_id,
        count(*) AS documents_with_row,
        string_agg(DISTINCT compliance, '/' ORDER BY compliance) AS answers_seen,
        count(DISTINCT compliance) > 1 AS documents_disagree
    FROM per_document
    GROUP BY assessment_id, provision_id
)
SELECT
    r.assessment_id,
    r.landlord,
    r.landlord_type,
    r.assessment_year,
    r.code_version,
    r.provision_id,
    r.printed_id,
    p.section_number,
    p.section_title,
    coalesce(r.obligation, p.obligation) AS obligation,
    coalesce(p.answer_kind, 'yes_no') AS answer_kind,
    p.requirement_text AS provision_text,
    r.compliance,
    r.compliance_raw,
    r.answer_inferred,
    r.suggested_compliance,
    r.requirement_text,
    r.evidence,
    r.commentary,
    r.actions,
    r.stated_actions,
    coalesce(r.needs_review, false) OR g.documents_disagree AS needs_review,
    nullif(
        concat_ws(
            '; ',
            nullif(r.review_reason, ''),
            CASE WHEN g.documents_disagree THEN 'documents_disagree' END
        ),
        ''
    ) AS review_reason,
    r.match_score,
    r.match_method,
    r.document_id,
    r.file_name,
    r.source_path,
    r.url,
    r.page,
    r.table_index,
    r.row_index,
    r.row_number,
    r.raw_cells,
    p.code_order,
    g.documents_with_row,
    g.answers_seen,
    g.documents_disagree
FROM per_document AS r
JOIN agreement AS g ON g.assessment_id = r.assessment_id AND g.provision_id = r.provision_id
LEFT JOIN provisions AS p ON p.code_version = r.code_version AND p.provision_id = r.provision_id
QUALIFY row_number() OVER (
    PARTITION BY r.assessment_id, r.provision_id ORDER BY r.document_rank
) = 1;

-- Rows a human should look at, with their provenance; what `chc review` prints.
-- Aligned rows: the row v_answers uses, when flagged or when the documents disagree.
-- Unaligned rows of an assessment: identical rows (same id, text and answer, ignoring
-- case, spacing and punctuation) once. Rows of ok documents outside any assessment (no
-- Code version, or aligned to another version than their document's): as stored.
CREATE OR REPLACE VIEW v_review AS
WITH unaligned AS (
    SELECT
        m.assessment_id,
        m.landlord,
        m.assessment_year,
        m.document_id,
        m.file_name,
        m.source_path,
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
        coalesce(nullif(a.review_reason, ''), 'unaligned') AS review_reason,
        a.raw_cells,
        m.document_rank
    FROM assessments AS a
    JOIN v_assessment_documents AS m ON m.document_id = a.document_id
    WHERE a.provision_id IS NULL
    QUALIFY row_number() OVER (
        PARTITION BY
            m.assessment_id,
            lower(regexp_replace(
                concat_ws(' ', a.printed_id, a.requirement_text, a.compliance_raw),
                '[^A-Za-z0-9]+', '', 'g'
            ))
        ORDER BY m.document_rank, a.row_number
    ) = 1
),
outside AS (
    SELECT
        NULL AS assessment_id,
        d.landlord,
        d.assessment_year,
        d.document_id,
        d.file_name,
        d.source_path,
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
            CASE WHEN a.provision_id IS NULL THEN 'unaligned' ELSE 'version_differs' END
        ) AS review_reason,
        a.raw_cells
    FROM assessments AS a
    JOIN documents AS d ON d.document_id = a.document_id
    LEFT JOIN v_assessment_documents AS m ON m.document_id = a.document_id
    WHERE
        (m.document_id IS NULL AND (a.needs_review OR a.provision_id IS NULL))
        OR (
            m.document_id IS NOT NULL
            AND a.provision_id IS NOT NULL
            AND a.code_version IS DISTINCT FROM m.code_version
        )
)
SELECT
    assessment_id, landlord, assessment_year, document_id, file_name, source_path,
    row_number, page, table_index, row_index, code_version, provision_id, printed_id,
    compliance, compliance_raw, suggested_compliance, match_score, match_method,
    review_reason, raw_cells
FROM v_answers
WHERE needs_review
UNION ALL
SELECT
    assessment_id, landlord, assessment_year, document_id, file_name, source_path,
    row_number, page, table_index, row_index, code_version, provision_id, printed_id,
    compliance, compliance_raw, suggested_compliance, match_score, match_method,
    review_reason, raw_cells
FROM unaligned
UNION ALL
SELECT * FROM outside;

-- One row per assessment (landlord x Code version x year) with its counts. answered =
-- yes + no + partial of the yes/no questions (blank, unknown, n/a and text answers are
-- not answered); full_compliance_rate = yes / answered. is_latest marks each
-- landlord's latest assessment per Code version.
CREATE OR REPLACE VIEW v_assessments AS
WITH docs AS (
    SELECT
        assessment_id,
        count(*) AS documents,
        arg_min(document_id, document_rank) AS representative_document_id,
        arg_min(file_name, document_rank) AS representative_file,
        arg_min(landlord_type, document_rank) AS landlord_type,
        any_value(landlord) AS landlord,
        any_value(code_version) AS code_version,
        any_value(assessment_year) AS assessment_year
    FROM v_assessment_documents
    GROUP BY assessment_id
),
answers AS (
    SELECT
        assessment_id,
        count(*) AS provisions_found,
        count(*) FILTER (WHERE answer_kind = 'yes_no' AND compliance = 'yes') AS yes,
        count(*) FILTER (WHERE answer_kind = 'yes_no' AND compliance = 'partial') AS partial,
        count(*) FILTER (WHERE answer_kind = 'yes_no' AND compliance = 'no') AS no,
        count(*) FILTER (WHERE answer_kind = 'yes_no' AND compliance = 'na') AS na,
        count(*) FILTER (WHERE answer_kind = 'yes_no' AND compliance = 'unknown') AS unknown,
        count(*) FILTER (WHERE answer_kind = 'text') AS text_answers,
        count(*) FILTER (WHERE documents_disagree) AS provisions_disagreeing
    FROM v_answers
    GROUP BY assessment_id
),
review AS (
    SELECT assessment_id, count(*) AS rows_needing_review
    FROM v_review
    WHERE assessment_id IS NOT NULL
    GROUP BY assessment_id
)
SELECT
    d.assessment_id,
    d.landlord,
    coalesce(d.landlord_type, 'unknown') AS landlord_type,
    d.code_version,
    d.assessment_year,
    d.documents,
    d.representative_document_id,
    d.representative_file,
    (SELECT count(*) FROM provisions AS p WHERE p.code_version = d.code_version)
        AS provisions_in_code,
    coalesce(a.provisions_found, 0) AS provisions_found,
    coalesce(a.yes, 0) AS yes,
    coalesce(a.partial, 0) AS partial,
    coalesce(a.no, 0) AS no,
    coalesce(a.na, 0) AS na,
    coalesce(a.unknown, 0) AS unknown,
    coalesce(a.text_answers, 0) AS text_answers,
    coalesce(a.yes + a.partial + a.no, 0) AS answered,
    CASE WHEN a.yes + a.partial + a.no > 0 THEN a.yes / (a.yes + a.partial + a.no) END
        AS full_compliance_rate,
    coalesce(a.provisions_disagreeing, 0) AS provisions_disagreeing,
    coalesce(r.rows_needing_review, 0) AS rows_needing_review,
    d.landlord IS NULL OR row_number() OVER (
        PARTITION BY d.landlord, d.code_version ORDER BY d.assessment_year DESC NULLS LAST
    ) = 1 AS is_latest
FROM docs AS d
LEFT JOIN answers AS a ON a.assessment_id = d.assessment_id
LEFT JOIN review AS r ON r.assessment_id = d.assessment_id;

-- The documents of each landlord's latest assessment per Code version.
CREATE OR REPLACE VIEW v_latest_documents AS
SELECT d.*, m.assessment_id, m.document_rank
FROM documents AS d
JOIN v_assessment_documents AS m ON m.document_id = d.document_id
JOIN v_assessments AS s ON s.assessment_id = m.assessment_id
WHERE s.is_latest;

-- The answers of each landlord's latest assessment per Code version.
CREATE OR REPLACE VIEW v_latest AS
SELECT v.*
FROM v_answers AS v
JOIN v_assessments AS s ON s.assessment_id = v.assessment_id
WHERE s.is_latest;

-- The crosswalk as chc follows it (table crosswalk_links, computed by
-- pipeline.reference.Reference.counterparts, the same function as
-- `chc reference --crosswalk`): direct links both ways, 2020 <-> 2024 through 2022 only
-- along a 'same' link, 'similar' never chained.
CREATE OR REPLACE VIEW v_crosswalk_links AS
SELECT from_version, from_id, to_version, to_id, relation, steps, path
FROM crosswalk_links;

-- A landlord's answers to the same requirement in two Code versions: one row per pair
-- of its assessments (one per version) and linked provisions.
CREATE OR REPLACE VIEW v_crosswalk_answers AS
SELECT
    f.landlord,
    f.landlord_type,
    k.from_version,
    k.from_id,
    f.assessment_year AS from_year,
    f.compliance AS from_compliance,
    f.answer_kind AS from_answer_kind,
    f.assessment_id AS from_assessment_id,
    f.document_id AS from_document_id,
    k.to_version,
    k.to_id,
    t.assessment_year AS to_year,
    t.compliance AS to_compliance,
    t.answer_kind AS to_answer_kind,
    t.assessment_id AS to_assessment_id,
    t.document_id AS to_document_id,
    k.relation,
    k.steps
FROM v_answers AS f
JOIN v_crosswalk_links AS k ON k.from_version = f.code_version AND k.from_id = f.provision_id
JOIN v_answers AS t
    ON t.landlord = f.landlord AND t.code_version = k.to_version AND t.provision_id = k.to_id
WHERE f.landlord IS NOT NULL;
