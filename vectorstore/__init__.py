"""Retrieval: embeddings from a package-shipped model, Chroma collections, lexical index, hybrid search."""
