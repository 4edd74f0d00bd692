using BlfBlazor.Components;
using BlfBlazor.Diagnostics;
using BlfBlazor.Health;
using BlfBlazor.Hosting;
using BlfBlazor.Operators;
using BlfBlazor.Pbx;

var builder = WebApplication.CreateBuilder(ServiceHosting.BuilderOptions(args));

builder.AddServiceHosting();
builder.AddBlfDiagnostics();
builder.AddBlfTelemetry();
builder.AddPbxConnection();
builder.AddBoard();
builder.AddOperatorActions();
builder.AddKeyRing();
builder.AddOperatorSignIn();

var app = builder.Build();

app.MapOperatorSignIn();
app.MapBoard();
app.MapBlfDiagnostics();
app.MapBlfMetrics();
app.MapBlfHealth();

app.Run();

/// <summary>The app's entry point; public so tests can host the real app.</summary>
public partial class Program;
