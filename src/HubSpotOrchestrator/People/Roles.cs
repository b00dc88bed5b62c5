namespace HubSpotOrchestrator.People;

public static class Roles
{
    public const string Admin = "admin";
    public const string Ops = "ops";
    public const string Approver = "approver";
    public const string Viewer = "viewer";
}

public static class Policies
{
    public const string Reader = "reader";
    public const string Operator = "operator";
}
