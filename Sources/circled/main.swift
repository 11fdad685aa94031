print("circled")
