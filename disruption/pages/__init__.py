"""Disruption's pages: the actions register and an action's page
(`actions`), the tasking meeting (`meetings`) and its taskings
(`taskings`)."""
