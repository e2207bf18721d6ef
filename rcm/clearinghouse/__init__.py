"""Clearinghouse gateway protocol and its transports (sandbox payer, SFTP); uses rcm.x12."""
