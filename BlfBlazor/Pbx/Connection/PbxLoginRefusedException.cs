namespace BlfBlazor.Pbx.Connection;

/// <summary>The PBX did not accept the AppLogin (any answer but <c>ok:true</c>, or a closed socket).</summary>
public sealed class PbxLoginRefusedException : Exception
{
    public PbxLoginRefusedException()
    {
    }

    public PbxLoginRefusedException(string message)
        : base(message)
    {
    }

    public PbxLoginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
