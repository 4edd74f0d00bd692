using BlfBlazor.Components;
using BlfBlazor.Diagnostics;
using BlfBlazor.Operators;
using BlfBlazor.Pbx;

var builder = WebApplication.CreateBuilder(args);

builder.AddBlfDiagnostics();
builder.AddPbxConnection();
builder.AddBoard();
builder.AddOperatorSignIn();

var app = builder.Build();

app.MapOperatorSignIn();
app.MapBoard();
app.MapBlfDiagnostics();

app.Run();

/// <summary>The app's entry point; public so tests can host the real app.</summary>
public partial class Program;
