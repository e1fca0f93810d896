"""Importers for published data formats, one module per format.

Every importer runs in one transaction: a file that breaks leaves the database
as it was, and a dry run does all the work and then rolls it back.
"""
