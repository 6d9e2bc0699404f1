"""Surveys: questionnaires of any shape, anonymous recurring waves, results with
small-cell suppression, exports."""
