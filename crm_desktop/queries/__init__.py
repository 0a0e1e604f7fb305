"""Read-only query functions returning plain rows. Table models and exports adapt these."""
