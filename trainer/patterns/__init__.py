"""Bundled pattern packs, one TOML data file per language."""
