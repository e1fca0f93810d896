"""The ground floor: what every app may import, importing no app."""
