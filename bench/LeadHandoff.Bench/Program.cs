using LeadHandoff.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (UsageException ex)
{
    if (!ex.HelpRequested)
    {
        await Console.Error.WriteLineAsync(ex.Message);
    }

    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return ex.HelpRequested ? 0 : 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await Bench.RunAsync(options, TimeProvider.System, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Interrupted.");
    return 130;
}
