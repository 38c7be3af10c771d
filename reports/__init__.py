"""Reports the school makes from its AP records: the governors' termly report, the school
census AP module, and the notice to the local authority of a commissioned placement."""
