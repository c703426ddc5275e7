"""A run: the harness, its files on disk, the prediction cache, aggregation and scoring workers."""
