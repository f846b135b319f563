"""Builds the committed knowledge base (data/kb) from an ESCO CSV export and the curated files in data/curated.

Used only by `pathways kb build`; nothing at run time imports it.
"""
