# Replaces pyinstaller-hooks-contrib's hook, which takes every submodule: the app parses and
# formats numbers only, so the place names, carriers and time zones (45 MB) stay out.
from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata")

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: not name.startswith(UNUSED))
