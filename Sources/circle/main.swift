print("circle")
