"""The tenancy kernel: database, tenants, people, membership, scoping and URL resolution. No views."""
