"""Ingestion: load, clean, chunk and embed corpus documents into Chroma."""
