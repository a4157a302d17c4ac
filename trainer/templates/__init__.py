"""Commented scenario templates for `trainer new`, one per language."""
