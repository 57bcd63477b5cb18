match 'Владимир Путин' 'PUTIN, Vladimir Vladimirovich' --kind person --json
