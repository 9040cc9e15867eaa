"""KlantSim: practise conversations with angry customers."""
