using FunAd.Engine.Onnx.Format;
using Google.Protobuf;

namespace FunAd.Engine.Onnx;

/// <summary>
/// Appends nodes, constants and graph outputs to an ONNX graph with fresh, unique names, so that
/// graph edits read like the computation they add.
/// </summary>
public sealed class OnnxGraphBuilder(GraphProto graph, string prefix)
{
    private int _counter;

    public GraphProto Graph { get; } = graph;

    public string Node(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    public string[] Node(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        var name = Fresh(opType);
        var outputs = Enumerable.Range(0, outputCount).Select(i => outputCount == 1 ? name : $"{name}_{i}").ToArray();
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A reduction (ReduceMax, ReduceMin, ReduceSumSquare...) over axes, given as an attribute before opset 18 and as an input from 18 on.</summary>
    public string Reduce(string opType, string input, long[] axes, bool keepDims, long opset) => opset >= 18
        ? Node(opType, [input, Constant(axes, axes.Length)], Int("keepdims", keepDims ? 1 : 0))
        : Node(opType, [input], Ints("axes", axes), Int("keepdims", keepDims ? 1 : 0));

    public string Constant(float[] values, params long[] dims) => Initializer(FloatTensor(Fresh("const"), values, dims));

    public string Constant(long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return Initializer(tensor);
    }

    public string Initializer(TensorProto tensor)
    {
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// A graph input that callers may leave out: an int64 initializer of the same name holds its
    /// default (ONNX IR 4 and later), so ONNX Runtime lists it among the overridable initializers.
    /// </summary>
    public string OptionalInput(string name, long[] defaultValues, params object[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(defaultValues.Length);
        tensor.Int64Data.AddRange(defaultValues);
        Initializer(tensor);
        var info = FloatValueInfo(name, dims);
        info.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        Graph.Input.Add(info);
        return name;
    }

    /// <summary>Renames the value <paramref name="from"/> to a graph output named <paramref name="name"/>.</summary>
    public void Output(string from, string name, params object[] dims)
    {
        Graph.Node.Add(new NodeProto { Name = Fresh("output"), OpType = "Identity", Input = { from }, Output = { name } });
        Graph.Output.Add(FloatValueInfo(name, dims));
    }

    public static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A float tensor's values, whether stored as raw bytes or as float_data.</summary>
    public static float[] FloatValues(TensorProto tensor)
    {
        if (tensor.FloatData.Count > 0) return [.. tensor.FloatData];
        var values = new float[tensor.RawData.Length / sizeof(float)];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
        return values;
    }

    /// <summary>A float tensor description; a dimension is a number or a symbolic name such as "N".</summary>
    public static ValueInfoProto FloatValueInfo(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) },
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string Fresh(string kind) => $"{prefix}/{kind}_{_counter++}";
}
