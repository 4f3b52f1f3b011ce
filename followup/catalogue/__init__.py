"""The support catalogue: each unit's answers to the 2019 national survey, per year."""
