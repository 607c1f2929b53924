"""Conversational answering over the ingested corpus."""
