"""Turn Word files into manuscript chapters (`publish import`) and editions into Word proofs (`publish export`)."""
