"""The PySide6 desktop interface. Widgets call services only inside operations run by
:class:`~mediation_desk.ui.common.tasks.TaskRunner`; nothing here builds SQL."""
