"""Running the portal through faults: the harvest queue consumers, the
watchdog that takes up interrupted work, and the scheduler. (What the rest
of the package shares for this sits beside net.py: faults.py classifies
infrastructure errors, leases.py holds work, uploads.py keeps stored files
in step with the database.)"""
