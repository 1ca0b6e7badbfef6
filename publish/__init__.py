"""publish: one semantic manuscript in, every edition out."""
