using BlfBlazor.Callbacks;
using BlfBlazor.Components;
using BlfBlazor.Demo;
using BlfBlazor.Diagnostics;
using BlfBlazor.Health;
using BlfBlazor.Hosting;
using BlfBlazor.MissedCalls;
using BlfBlazor.Operators;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.PersonalBoards;
using BlfBlazor.Store;

var builder = WebApplication.CreateBuilder(ServiceHosting.BuilderOptions(args));

builder.AddServiceHosting();
builder.AddProxyTrust();
builder.AddBlfDiagnostics();
builder.AddBlfTelemetry();
builder.AddPbxConnection();
builder.AddDemoPbx();
builder.AddBoard();
builder.AddOperatorActions();
builder.AddKeyRing();
builder.AddBlfStore();
builder.AddMissedCalls();
builder.AddPersonalBoards();
builder.AddCallbacks();
builder.AddOperatorSignIn();

var app = builder.Build();

app.UseProxyTrust();
app.UseBoardHeaders();
app.UseCircuitOriginCheck();
app.MapOperatorSignIn();
app.MapBoard();
app.MapBlfDiagnostics();
app.MapBlfMetrics();
app.MapBlfHealth();

app.Run();

/// <summary>The app's entry point; public so tests can host the real app.</summary>
public partial class Program;
