from cetool.cli.app import main

main()
