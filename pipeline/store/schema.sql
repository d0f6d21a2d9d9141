-- chc database tables (applied idempotently by pipeline.store.init_db; the views are in
-- views.sql). Tables and views are documented for researchers in docs/schema.md.
-- When a table changes: bump SCHEMA_VERSION and add the ALTER statements for older
-- databases to MIGRATIONS, both in pipeline/store/schema.py.
-- No PRIMARY KEY constraints: uniqueness is kept by pipeline/store/write.py, which deletes
-- a document's rows and re-inserts them in one transaction.

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
    code_order INTEGER,
    answer_kind VARCHAR  -- yes_no (scored) or text (an open question); schema 2
);

CREATE TABLE IF NOT EXISTS crosswalk (
    from_version VARCHAR NOT NULL,
    from_id VARCHAR,
    to_version VARCHAR NOT NULL,
    to_id VARCHAR,
    relation VARCHAR,
    note VARCHAR
);

-- Every provision's counterparts in the other versions, as pipeline.reference computes
-- them (Reference.counterparts: the one crosswalk rule); loaded with the reference.
CREATE TABLE IF NOT EXISTS crosswalk_links (
    from_version VARCHAR NOT NULL,
    from_id VARCHAR NOT NULL,
    to_version VARCHAR NOT NULL,
    to_id VARCHAR NOT NULL,
    relation VARCHAR,
    steps INTEGER,
    path VARCHAR
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
