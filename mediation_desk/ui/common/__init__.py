"""What every screen uses: the task runner, small widgets, the date field, row models, translations, the conflict
dialog, the PDF preview, search highlighting and the unsaved-input guard.
"""
