"""Builds the bundled corpus from the seeds' gold: `python -m corpus.builder` (`make corpus`)."""
