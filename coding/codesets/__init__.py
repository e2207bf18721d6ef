"""Code-set files, their parsers, and the loader that writes each as a versioned release."""
