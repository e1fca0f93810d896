"""The safeguarding pages. Every one is a logged consultation (audit.consults,
people.web for the subjects shown); a role without access gets 404, as a
missing page or object does."""
