"""Renderers: turn the Book model into each edition's files (HTML is the hub)."""
