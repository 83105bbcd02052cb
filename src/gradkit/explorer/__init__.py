"""The interactive explorer: an HTTP API (and a page) for formulas and their gradients (extra `web`)."""
