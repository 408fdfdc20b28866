import CatalyzeCLI

await CatalyzeCommand.main()
