namespace HubSpotOrchestrator.Shared;

/// <summary>
/// Something outside the code stops the service from starting (the data file damaged or held by another process):
/// the message is one line saying what and how to fix it. The service prints it and exits with code 1, no stack trace.
/// </summary>
public sealed class StartupProblemException : Exception
{
    public StartupProblemException()
    {
    }

    public StartupProblemException(string message)
        : base(message)
    {
    }

    public StartupProblemException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
