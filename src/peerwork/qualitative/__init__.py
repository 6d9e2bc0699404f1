"""Qualitative analysis with Systematic Text Condensation, for teams that include peer co-researchers."""
