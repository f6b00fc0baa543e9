"""Built-in detectors: each annotates ``document.detections`` and may drop by policy."""
