"""The window around the work: main window, sign-in, password change, idle lock, first run, server settings, live
refresh and the outage banner.
"""
