"""Qt widgets and Qt item models. The only package (with app.py) that imports QtWidgets."""
