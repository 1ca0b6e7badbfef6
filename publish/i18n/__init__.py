"""Translation: segments of the model, parallel-text files, update/status, XLIFF and PO exchange."""
