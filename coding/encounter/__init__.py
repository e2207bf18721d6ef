"""The coding form: an encounter's diagnoses and procedure lines, saved, checked, completed."""
