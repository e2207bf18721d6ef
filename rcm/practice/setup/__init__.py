"""Practice setup in the app, for practice administrators: users and roles, providers, payers,
fee schedules with CSV import and export, the clearinghouse connection. Fenced to the practices
the user administers, like every other page; the Django admin is the operator's."""
