"""Uploaded files (deliverable proofs, contract documents): checked, stored per tenant, served safely."""
from ..features import Feature

feature = Feature("files")
