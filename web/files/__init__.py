"""Uploaded files (deliverable proofs, contract documents): checked, stored per tenant, served safely."""
