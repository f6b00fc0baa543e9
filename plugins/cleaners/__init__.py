"""Built-in cleaners: one module per kind of boilerplate, each an ordinary ``clean`` plugin."""
