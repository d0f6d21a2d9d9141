"""``chc collect``: fetch the self-assessments landlords publish on their web sites.

SITES.csv --sites.load_sites--> Site... --crawl.collect--> DIR/<landlord-slug>/<file>,
DIR/manifest.csv (the ``chc ingest --manifest`` format), DIR/collect-log.csv, and a
cache in DIR/.chc-collect/ so that a rerun asks only for what changed.

Modules: ``records`` (frozen records, options), ``sites`` (SITES.csv, URL rules),
``polite`` (per-host spacing), ``robots`` (robots.txt), ``fetch`` (one polite GET),
``links`` (links worth following), ``recognise`` (chc's pipeline says keep or not),
``cache`` (what persists in DIR), ``crawl`` (the run), ``manifest`` (manifest and log),
``progress`` (lines for stderr). Nothing is imported here, so that importing the
records does not load the pipeline's stages.
"""
