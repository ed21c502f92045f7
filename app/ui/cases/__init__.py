"""Cases: the list of cases, the case editor, and a case's page with its checklists and risk picture."""
