"""Answers from the curated knowledge base: the cached index and the replies built from it."""
